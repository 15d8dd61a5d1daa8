import litellm

answer = litellm.completion(model="anthropic/claude-3-haiku-20240307", messages=[])
fallback = litellm.completion(model="mistral/mistral-small-latest", messages=[])
