def explain() -> str:
    return "Set up your key for api.openai.com in the settings page first"
