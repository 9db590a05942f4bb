import { request } from "node:https";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";

export interface HttpsAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** One HTTPS request that trusts exactly `ca` (or Node's default roots without it). */
export async function httpsRequest(
  url: string,
  options: { ca?: string; method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? "GET", headers: options.headers ?? {}, ...(options.ca ? { ca: options.ca } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const headers = Object.fromEntries(
            Object.entries(res.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : String(value)]),
          );
          resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

export async function httpsJson<T = Record<string, unknown>>(
  url: string,
  options: Parameters<typeof httpsRequest>[1] = {},
): Promise<{ status: number; headers: Record<string, string>; json: T }> {
  const answer = await httpsRequest(url, options);
  return { status: answer.status, headers: answer.headers, json: JSON.parse(answer.body.toString("utf8")) as T };
}

/** MSAL's network client over node:https with the demo CA, as a product would build one. */
export function networkClientTrusting(ca: string): INetworkModule {
  const send = async <T>(method: string, url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const answer = await httpsRequest(url, {
      ca,
      method,
      headers: options?.headers ?? {},
      ...(options?.body !== undefined ? { body: options.body } : {}),
    });
    return { status: answer.status, headers: answer.headers, body: JSON.parse(answer.body.toString("utf8") || "{}") as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send("GET", url, options),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
  };
}
