/** The slice (ns) in a `/proc/<pid>/task/<tid>/sched` text; NaN on kernels without per-task slices. */
export function sliceIn(sched: string): number {
  return Number(/^se\.slice\s*:\s*(\d+)/m.exec(sched)?.[1])
}
