import { dedent } from '../cases.js';

/** Minimal framework surfaces (Express), declared inline: no framework is installed. */
export const express = `
  interface Req { params: Record<string, string | undefined>; body: any }
  interface Res {
    status(code: number): Res;
    json(body: unknown): Res;
    send(body?: unknown): Res;
    on(event: 'close' | 'finish', listener: () => void): Res;
    write(chunk: string): boolean;
    end(): void;
  }
  type Handler = (req: Req, res: Res, next: (err?: unknown) => void) => Promise<void>;
  declare const app: { get(path: string, handler: Handler): void; post(path: string, handler: Handler): void };`;

/** A case body preceded by declarations (such as a framework surface). */
export function withDecls(decls: string, body: string): string {
  return `${dedent(decls)}\n${dedent(body)}`;
}
