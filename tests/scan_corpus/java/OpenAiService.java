package com.acme.ai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.ChatModel;

public class OpenAiService {
    private final OpenAIClient client = OpenAIOkHttpClient.fromEnv();

    public String model() {
        return "gpt-4o";
    }
}
