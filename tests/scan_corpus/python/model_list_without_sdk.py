SUPPORTED = ["gpt-4o", "claude-3-5-sonnet", "gemini-1.5-pro"]


def is_supported(name: str) -> bool:
    return name in SUPPORTED
