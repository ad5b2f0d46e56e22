/**
 * The task-level cpu/memory pairs Fargate accepts (Linux, platform 1.4.0), from the ECS
 * developer guide "Task CPU and memory". Pure: no Pulumi calls.
 */
const MEMORY_BY_CPU: ReadonlyMap<number, readonly number[]> = new Map([
    [256, [512, 1024, 2048]],
    [512, range(1024, 4096, 1024)],
    [1024, range(2048, 8192, 1024)],
    [2048, range(4096, 16384, 1024)],
    [4096, range(8192, 30720, 1024)],
    [8192, range(16384, 61440, 4096)],
    [16384, range(32768, 122880, 8192)],
]);

/** The cpu units Fargate accepts. */
export const FARGATE_CPU_VALUES: readonly number[] = [...MEMORY_BY_CPU.keys()];

/** The memory sizes (MiB) Fargate accepts with `cpu`, or an empty list when `cpu` itself is invalid. */
export function fargateMemoryFor(cpu: number): readonly number[] {
    return MEMORY_BY_CPU.get(cpu) ?? [];
}

export function isValidFargateSize(cpu: number, memory: number): boolean {
    return fargateMemoryFor(cpu).includes(memory);
}

/** "1024, 2048 … 8192 (step 1024)" rather than a 28-item list in an error message. */
export function describeMemoryFor(cpu: number): string {
    const values = fargateMemoryFor(cpu);
    if (values.length <= 3) {
        return values.join(", ");
    }
    const step = values[1] - values[0];
    return `${values[0]}..${values[values.length - 1]} in steps of ${step}`;
}

function range(from: number, to: number, step: number): number[] {
    const values: number[] = [];
    for (let value = from; value <= to; value += step) {
        values.push(value);
    }
    return values;
}
