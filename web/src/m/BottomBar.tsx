import type { CSSProperties, ReactNode } from 'react';

const BAR: CSSProperties = {
  position: 'fixed',
  bottom: 0,
  left: 0,
  right: 0,
  maxWidth: 480,
  margin: '0 auto',
  background: '#fff',
  borderTop: '1px solid #f0f0f0',
  padding: 12,
};

/** The bar fixed to the bottom of a phone page, under her thumb: buy, add to cart, check out. */
export function BottomBar({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  return <div style={{ ...BAR, ...style }}>{children}</div>;
}
