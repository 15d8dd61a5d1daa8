from unittest import mock

import pytest


@pytest.fixture
def fake_client():
    with mock.patch("openai.OpenAI") as client:
        client.return_value.chat.completions.create.return_value = {"choices": []}
        yield client
