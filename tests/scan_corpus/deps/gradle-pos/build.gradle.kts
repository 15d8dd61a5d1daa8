dependencies {
    implementation("com.anthropic:anthropic-java:1.0.0")
    implementation("org.slf4j:slf4j-api:2.0.16")
}
