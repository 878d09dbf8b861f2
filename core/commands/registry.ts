// STUB (owned by the CLI helper): the command registry, command() and BaseCommand.
export class BaseCommand {}
export function command(..._a: unknown[]): any {}
