package topology

import (
	"errors"

	"github.com/twmb/franz-go/pkg/kerr"
)

var kerrUnknownTopic = kerr.UnknownTopicOrPartition

func isTopicExists(err error) bool { return errors.Is(err, kerr.TopicAlreadyExists) }
