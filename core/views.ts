// STUB (owned by the routing helper): class-based views.
export class View {}
