import os

import httpx

key = os.getenv("GIGACHAT_CREDENTIALS")
resp = httpx.post("https://gigachat.devices.sberbank.ru/api/v1/chat/completions", headers={"Authorization": key})
