// Structured, one-line logs. Never pass secrets or whole payloads here.
type Fields = Record<string, string | number | boolean | null | undefined>;

function write(level: 'info' | 'warn' | 'error', message: string, fields?: Fields) {
  // Silenced lines are not even formatted (the applier logs one per event).
  if (level !== 'error' && process.env.LOG_LEVEL === 'silent') return;
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
