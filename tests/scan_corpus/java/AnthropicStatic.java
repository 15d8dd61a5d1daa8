package com.acme.ai;

import static com.anthropic.models.messages.Model.CLAUDE_3_5_SONNET_LATEST;

import com.anthropic.client.AnthropicClient;

public class AnthropicStatic {
    AnthropicClient client;
}
