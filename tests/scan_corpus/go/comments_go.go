package docs

// We evaluated github.com/sashabaranov/go-openai but chose the gateway.
/* import "github.com/anthropics/anthropic-sdk-go" */
const note = "see https://platform.openai.com/docs for details"
