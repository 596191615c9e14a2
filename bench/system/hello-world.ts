/**
 * The baseline of the webhook benchmark: Express answering a POST with a small JSON body once it
 * has read the request body (no parsing, no logging), in its own process like the backend.
 */
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.get('/', (_req, res) => void res.json({ ok: true }));
app.post('/{*path}', (req, res) => {
  req.resume();
  req.on('end', () => void res.json({ ok: true }));
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
