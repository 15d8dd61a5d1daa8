import openai

client = openai.AzureOpenAI(api_version="2024-06-01")
