from openai import OpenAI

# An OpenAI-compatible server we host ourselves.
client = OpenAI(base_url="http://vllm.internal:8000/v1", api_key="unused")
client.chat.completions.create(model="Qwen/Qwen2.5-7B-Instruct", messages=[])
