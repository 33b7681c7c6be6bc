// Structured, one-line logs. Never pass secrets or whole payloads here.
type Fields = Record<string, string | number | boolean | null | undefined>;

type Level = 'info' | 'warn' | 'error';
// LOG_LEVEL: the least severe level written (info by default); 'silent' keeps errors only.
const RANK: Record<string, number> = { info: 0, warn: 1, error: 2, silent: 2 };

function write(level: Level, message: string, fields?: Fields) {
  // Lines below the level are not even formatted (the applier logs one per event).
  if (RANK[level]! < (RANK[process.env.LOG_LEVEL ?? 'info'] ?? 0)) return;
  const line = JSON.stringify({ level, msg: message, time: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

export const log = {
  info: (message: string, fields?: Fields) => write('info', message, fields),
  warn: (message: string, fields?: Fields) => write('warn', message, fields),
  error: (message: string, fields?: Fields) => write('error', message, fields),
};
