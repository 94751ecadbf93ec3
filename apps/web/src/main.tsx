import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App.tsx";
import { ConfigProblem } from "./ui/ConfigProblem.tsx";
import { readConfig } from "./config.ts";
import "./styles.css";

const root = createRoot(document.getElementById("root")!);
let config;
try {
  config = readConfig();
} catch (error) {
  root.render(<ConfigProblem message={error instanceof Error ? error.message : String(error)} />);
}
if (config) {
  root.render(
    <StrictMode>
      <App config={config} />
    </StrictMode>,
  );
}
