import { useEffect, useRef } from 'react';
import { bindRange } from 'hise-webview/client';
import { useParameter } from './hise';

/** A native range input bound to a parameter (bindRange: one gesture per drag or key run, value text, announcements). */
export function Slider({ id }: { id: 'mix' }) {
  const parameter = useParameter(id);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => (parameter.parameter === undefined ? undefined : bindRange(input.current!, parameter.parameter)), [parameter.parameter]);
  return (
    <div className="control">
      <label htmlFor={id}>{parameter.spec?.label ?? id}</label>
      <input ref={input} id={id} type="range" />
      <output htmlFor={id}>{parameter.text}</output>
    </div>
  );
}
