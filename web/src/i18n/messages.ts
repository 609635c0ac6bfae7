/** The console's texts: zh-CN is the source; English must have every key (the compiler checks). */
import { enUS } from './messages.en-US';
import { zhCN } from './messages.zh-CN';

export type MessageKey = keyof typeof zhCN;
export type Locale = 'zh-CN' | 'en-US';

export const messages: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, 'en-US': enUS };
