package com.acme.ai;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

public class BedrockService {
    private final BedrockRuntimeClient client = BedrockRuntimeClient.builder().region(Region.EU_CENTRAL_1).build();
    private static final String MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0";
}
