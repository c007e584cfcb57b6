export function randomCjk(bytes: number, seed?: number): string;
export function inputsFor(bytes: number): [string, string][];
