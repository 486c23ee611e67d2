/** Milliseconds since the epoch; injected so tests control time (`() => now`). */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
