from openai import AzureOpenAI

client = AzureOpenAI(
    azure_endpoint="https://contoso-eu.openai.azure.com/",
    api_version="2024-06-01",
)
reply = client.chat.completions.create(model="gpt-4o", messages=[])
