"""Helpers for prompts.

We used to call OpenAI (import openai; openai.ChatCompletion.create) and Anthropic's
api.anthropic.com directly; now every call goes through the gateway below.
"""
# import anthropic
# client = anthropic.Anthropic()


def build_prompt(question: str) -> str:
    """Format a question. Works with claude-3-haiku or gpt-4o prompts alike."""
    return f"Question: {question}"
