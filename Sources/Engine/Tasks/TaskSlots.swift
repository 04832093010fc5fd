/// The task slots of this process (Druid's worker capacity): a task needs
/// `maxNumTasks` slots (its controller and workers); tasks that do not fit
/// wait in submission order, reading `PENDING`. A task asking for more slots
/// than exist runs alone with all of them.
actor TaskSlots {
    let capacity: Int
    private var inUse = 0
    /// Waiting tasks in arrival order.
    private var queue: [(id: String, slots: Int)] = []

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Waits until `slots` are free and it is this task's turn; false when
    /// `isCanceled` says the task was shut down while waiting.
    func acquire(taskID: String, slots: Int, isCanceled: @Sendable () async -> Bool) async -> Bool {
        let need = min(slots, capacity)
        queue.append((taskID, need))
        defer { queue.removeAll { $0.id == taskID } }
        while true {
            if queue.first?.id == taskID, inUse + need <= capacity {
                inUse += need
                return true
            }
            if await isCanceled() { return false }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    func release(slots: Int) {
        inUse = max(0, inUse - min(slots, capacity))
    }
}
