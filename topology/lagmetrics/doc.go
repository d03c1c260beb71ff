// Package lagmetrics reports how far ledgerline's consumer groups are
// behind, as Prometheus gauges, so alerts and dashboards (and a reader
// checking by hand) do not depend on an exporter running beside the
// cluster.
//
// A Collector asks the cluster every Interval, with kadm's lag API, for
// the committed offsets of its groups and the end offsets of the topics
// they consume, and keeps the answer as one snapshot; a scrape reports
// the latest snapshot, so it never sees half of a poll and never waits on
// Kafka. It also reports the end offsets of Topics, topics that no
// ledgerline group reads (dead letters, drift alerts, the review queue),
// whose rate of growth is the rate at which records arrive on them.
//
// Metrics, all with namespace ledgerline and subsystem kafka:
//
//	consumer_group_lag{group,topic,partition}               records behind the end offset
//	consumer_group_committed_offset{group,topic,partition}  the group's committed offset
//	topic_end_offset{topic,partition}                       the end (high watermark) of a partition
//	lag_polls_total{result}                                 polls, by result: ok or error
//	lag_last_poll_success_timestamp_seconds                 Unix time of the last good poll
//
// Lag is measured against the end offset, which counts transaction
// markers: a partition written in transactions shows a lag of one or two
// records when its consumer is fully caught up. Alert on sustained lag,
// not on lag above zero.
//
// A group that does not exist yet (its stage never ran) is skipped.
//
// Every instance of an app reports the lag of the whole group, not of its
// own partitions: aggregate with max by (group, topic, partition), not
// sum.
package lagmetrics
