package infer

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
)

var modelID = aws.String("amazon.nova-lite-v1:0")
var _ = bedrockruntime.New
