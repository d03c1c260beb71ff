// Package instance is what one `ledgerline run` process runs besides its
// optional watched inbox: the pipeline (the drift stage and the lake
// sink, package pipeline) and the measurements an operator alerts on
// that the pipeline does not take itself: the lag of the app's consumer
// groups (package lagmetrics) and the outcomes counted by content on the
// dead-letter, drift-alerts and drift-review topics (package
// topicmetrics).
//
// Consumers lists the app's consumer groups and the topics each reads,
// as the pipeline names them: the names an autoscaler or an alert on
// lag must use.
package instance
