package com.acme.ai;

public class GigaChatEnv {
    String credentials = System.getenv("GIGACHAT_CREDENTIALS");
    String url = "https://gigachat.devices.sberbank.ru/api/v1/chat/completions";
}
