// What `tsc` sees of a .vue file (Vite compiles them; vue-tsc would check them too).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
