// STUB (owned by the testing helper): the in-process test Client.
export class Client {}
