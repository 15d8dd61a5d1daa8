package com.acme.ai;

public class OpenAiCompatibleNames {
    boolean openaiCompatible = true;
    String anthropicStyle = "messages";
    String openai = "openai";
}
