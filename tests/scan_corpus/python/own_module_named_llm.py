from .openai import helpers
from . import anthropic

helpers.run(anthropic.DEFAULTS)
