/// <reference types="vite-plugin-pwa/client" />
/// <reference types="vite-plugin-pwa/info" />
import type { Locale } from '$lib/i18n';

declare global {
  namespace App {
    interface Locals {
      lang: Locale;
      largeText: boolean;
    }
    interface Error {
      message: string;
      /** Set on the client when the page could not be loaded because the device is offline. */
      offline?: boolean;
    }
  }
}

export {};
