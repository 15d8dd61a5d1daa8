from mistralai import Mistral

with Mistral(api_key="...") as mistral:
    res = mistral.chat.complete(model="mistral-large-latest", messages=[])
