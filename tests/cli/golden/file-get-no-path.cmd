file get
