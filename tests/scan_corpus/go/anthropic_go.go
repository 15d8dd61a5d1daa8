package main

import "github.com/anthropics/anthropic-sdk-go"

func main() {
	client := anthropic.NewClient()
	_ = client
}
