/** Opt-in per-call resource use: heap and RSS deltas and CPU time, between a call's start and end. */
import { LLMTrace } from '../attributes.js';
import type { Attributes } from '../span.js';

/** A snapshot taken when a call starts. */
export interface ResourceMark {
  readonly cpu: NodeJS.CpuUsage;
  readonly heapUsed: number;
  readonly rss: number;
}

/** Takes a snapshot. */
export function markResources(): ResourceMark {
  const memory = process.memoryUsage();
  return { cpu: process.cpuUsage(), heapUsed: memory.heapUsed, rss: memory.rss };
}

/**
 * The attributes of resource use since `mark`. CPU time is the whole process's, so concurrent calls
 * share it; the figures are exact only for calls that run alone.
 */
export function resourceAttributes(mark: ResourceMark): Attributes {
  const cpu = process.cpuUsage(mark.cpu);
  const memory = process.memoryUsage();
  return {
    [LLMTrace.RESOURCE_HEAP_DELTA_BYTES]: memory.heapUsed - mark.heapUsed,
    [LLMTrace.RESOURCE_RSS_DELTA_BYTES]: memory.rss - mark.rss,
    [LLMTrace.RESOURCE_CPU_USER_US]: cpu.user,
    [LLMTrace.RESOURCE_CPU_SYSTEM_US]: cpu.system,
  };
}
