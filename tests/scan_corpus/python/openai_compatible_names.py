openai_compatible = True
anthropic_style_messages = []
OPENAI_API_KEY_FIELD = "api_key"


class OpenAICompatibleProvider:
    def __init__(self, openai_compatible_url: str) -> None:
        self.url = openai_compatible_url
