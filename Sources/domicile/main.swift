print("domicile")
