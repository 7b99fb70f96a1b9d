/** Per-address budgets for HTTP routes that cost work (voice previews, uploads, exports). */
import type { RequestHandler } from "express";
import { RateLimiter } from "../util/RateLimiter.js";

export function rateLimit(burst: number, windowMs: number, what: string): RequestHandler {
  const limiter = new RateLimiter(burst, windowMs);
  return (req, res, next) => {
    const key = req.socket.remoteAddress ?? "?";
    if (limiter.allow(key)) { next(); return; }
    res.setHeader("retry-after", String(Math.ceil(windowMs / 1000)));
    res.status(429).json({ error: `Slow down: at most ${burst} ${what} every ${windowMs / 1000} s.` });
  };
}
