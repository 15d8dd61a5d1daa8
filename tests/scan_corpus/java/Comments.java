package com.acme.docs;

// import com.openai.client.OpenAIClient;
/* import com.anthropic.client.AnthropicClient; */

public class Comments {
    /** Calls gpt-4o through the gateway, never api.openai.com directly. */
    String doc = """
        import com.openai.client.OpenAIClient;
        """;
}
