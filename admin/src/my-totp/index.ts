export { MyTotpPage } from './MyTotpPage.tsx';
export { MyTotpMenuItem } from './MyTotpMenuItem.tsx';
