from gigachat import GigaChat

with GigaChat(credentials="...", verify_ssl_certs=False) as giga:
    response = giga.chat("Привет")
