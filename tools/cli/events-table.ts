// The Events section at the bottom of `kubectl describe` (kubectl's describe.go DescribeEvents):
// the Events of one object, oldest last-seen first, as Type, Reason, Age, From, Message.
import type { CoreEvent } from '../../lib/events/core-event.ts';
import type { KubeObject } from '../../lib/k8s/types.ts';

/**
 * The object's Events as `kubectl describe` finds them (by involvedObject name, namespace, kind and
 * uid), sorted by lastTimestamp as it does; Events of the same second in the order they were written.
 */
export function eventsOf(object: KubeObject, events: readonly KubeObject[]): CoreEvent[] {
  const { name, namespace, uid } = object.metadata;
  return (events as CoreEvent[])
    .filter((e) => e.involvedObject?.name === name && (e.involvedObject.namespace ?? '') === (namespace ?? '') && e.involvedObject.kind === object.kind && e.involvedObject.uid === uid)
    .sort((a, b) => Date.parse(a.lastTimestamp) - Date.parse(b.lastTimestamp) || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
}

/** The table, or "Events: <none>" as kubectl prints it when there are none. */
export function eventsTable(events: readonly CoreEvent[], nowMs: number): string {
  if (events.length === 0) return 'Events:  <none>\n';
  const since = (timestamp: string) => humanDuration(nowMs - Date.parse(timestamp));
  const rows = events.map((e) => {
    const first = since(e.firstTimestamp);
    const age = e.count > 1 ? `${since(e.lastTimestamp)} (x${e.count} over ${first})` : first;
    return [e.type, e.reason, age, e.source?.component || e.reportingComponent || '', (e.message ?? '').trim()];
  });
  const table = [['Type', 'Reason', 'Age', 'From', 'Message'], ['----', '------', '----', '----', '-------'], ...rows];
  const widths = [0, 1, 2, 3].map((column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  const lines = table.map((row) => `  ${row.map((cell, column) => (column < 4 ? cell.padEnd((widths[column] ?? 0) + 2) : cell)).join('')}`.trimEnd());
  return `Events:\n${lines.join('\n')}\n`;
}

/** apimachinery's duration.HumanDuration, which kubectl uses for ages. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${hours / 24}d` : `${Math.trunc(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  const years = Math.trunc(hours / 24 / 365);
  const days = Math.trunc(hours / 24) % 365;
  if (hours < 24 * 365 * 8) return days === 0 ? `${years}y` : `${years}y${days}d`;
  return `${years}y`;
}
