package com.acme.ai;

import dev.langchain4j.model.openai.OpenAiChatModel;

public class LangChain4jOpenAi {
    OpenAiChatModel model = OpenAiChatModel.builder().modelName("gpt-4o-mini").build();
}
