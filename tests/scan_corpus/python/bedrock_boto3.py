import json

import boto3

runtime = boto3.client(service_name="bedrock-runtime", region_name="eu-central-1")
body = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, "messages": []})
response = runtime.invoke_model(modelId="anthropic.claude-3-haiku-20240307-v1:0", body=body)
