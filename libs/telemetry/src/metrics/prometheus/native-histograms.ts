/**
 * CONTRACT (issue 11, in progress): a histogram served as a Prometheus native histogram is collected twice,
 * through two SDK views on the same instrument: its classic explicit-bucket stream under the instrument's own
 * name, and a base-2 exponential stream under `name + NATIVE_HISTOGRAM_STREAM_SUFFIX`. The exposition merges
 * the two into one family: classic buckets and native spans in the protobuf format, classic buckets only in
 * the text formats.
 */
export const NATIVE_HISTOGRAM_STREAM_SUFFIX = '.native';
