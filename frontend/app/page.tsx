import { HomeView } from "@/components/home/home-view";
import { AppShell, PageTitle } from "@/components/shell/app-shell";

export default function HomePage() {
  return (
    <AppShell topBar={<PageTitle>Home</PageTitle>}>
      <HomeView />
    </AppShell>
  );
}
