// STUB (owned by the routing helper): builds the express app and the request pipeline.
import express, { type Express } from 'express';
export function buildApp(): Express { return express(); }
