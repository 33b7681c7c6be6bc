import type { BadgeTone } from '@/components/ui/badge';

export const eventTones: Record<string, BadgeTone> = {
  processed: 'green',
  ignored: 'gray',
  received: 'yellow',
  failed: 'red',
};
