package com.acme.ai;

import com.google.cloud.vertexai.VertexAI;
import com.google.cloud.vertexai.generativeai.GenerativeModel;

public class VertexService {
    GenerativeModel model(VertexAI vertexAi) {
        return new GenerativeModel("gemini-1.5-flash-002", vertexAi);
    }
}
